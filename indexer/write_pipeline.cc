#include "indexer/write_pipeline.h"

namespace findling {

WritePipeline::WritePipeline(IndexWriter& writer, std::size_t capacity)
    : writer_(writer),
      queue_(capacity, [this](Item& item) { return writer_.Put(item.id, item.doc, item.bytes); }) {}

WritePipeline::~WritePipeline() { (void)Finish(); }

Status WritePipeline::Submit(std::string id, Xapian::Document doc, std::uint64_t source_bytes) {
  return queue_.Push({std::move(id), std::move(doc), source_bytes});
}

Status WritePipeline::Finish() { return queue_.Finish(); }

}  // namespace findling
