# The scaling plot of docs/benchmarks.md, from the scaling.dat that
# benchmarks/report.py writes. bench.sh calls it as
#   gnuplot -e "datafile='.../scaling.dat'; outfile='docs/benchmarks-scaling.png'" plot.gnuplot
# Left: indexing speed by collection size; right: one-word queries with
# snippets (in process) and the server round trip at one client.
if (!exists("datafile")) datafile = 'scaling.dat'
if (!exists("outfile")) outfile = 'benchmarks-scaling.png'

# A small palette-free PNG keeps the committed file well under 200 KB.
set terminal pngcairo size 1100,420 font ",10" noenhanced
set output outfile
set multiplot layout 1,2 title "Findling vs Xapian and Sphinx by collection size (generated German news, 300-500 words)"
set logscale x 10
set format x "%.0s%c"
set grid
set key top left
set xlabel "documents"

set title "Indexing"
set ylabel "MB of text per second"
set yrange [0:*]
plot datafile using 1:2 with linespoints lw 2 pt 7 title "Findling", \
     datafile using 1:3 with linespoints lw 2 pt 5 title "Findling --no-decompound", \
     datafile using 1:4 with linespoints lw 2 pt 9 title "Xapian scriptindex", \
     datafile using 1:5 with linespoints lw 2 pt 11 title "Sphinx indexer"

set title "Queries (median)"
set ylabel "milliseconds"
set logscale y 10
set yrange [*:*]
set key top left
plot datafile using 1:($6/1000) with linespoints lw 2 pt 7 title "Findling, one word + snippets (in process)", \
     datafile using 1:($7/1000) with linespoints lw 2 pt 9 title "Xapian MSet::snippet, one word (in process)", \
     datafile using 1:($8/1000) with linespoints lw 2 pt 6 dt 2 title "Findling, two words, ids", \
     datafile using 1:($9/1000) with linespoints lw 2 pt 8 dt 2 title "Xapian, two words, ids", \
     datafile using 1:10 with linespoints lw 2 pt 5 dt 3 title "findling-server, 1 client, snippets", \
     datafile using 1:11 with linespoints lw 2 pt 11 dt 3 title "Sphinx searchd, 1 client, CALL SNIPPETS"
unset multiplot
