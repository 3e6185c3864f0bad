# The shard scaling plot of docs/benchmarks.md, from the shards.dat that
# benchmarks/report.py writes (first line: column names). bench.sh calls it as
#   gnuplot -e "datafile='.../shards.dat'; outfile='docs/benchmarks-shards.png'" plot-shards.gnuplot
# Indexing speed (MB of text per second, merge included) by shard count, one
# line per collection.
if (!exists("datafile")) datafile = 'shards.dat'
if (!exists("outfile")) outfile = 'benchmarks-shards.png'

set terminal pngcairo size 700,420 font ",10" noenhanced
set output outfile
set title "findling-index --shards N (merged at the end)"
set key autotitle columnheader top left
set grid
set xlabel "shards"
set ylabel "MB of text per second"
set xtics 1
set yrange [0:*]
plot for [i=2:*] datafile using 1:i with linespoints lw 2 pt 7
