-- Up Migration

-- Optional embeddings for hybrid retrieval (EMBEDDINGS_* in the worker). A unit-length vector per
-- passage and the model that produced it: vectors of different models are never compared, so a
-- model change re-embeds everything. Both stay NULL until a passage is embedded; re-indexing an
-- article deletes and re-inserts its passages, which clears them. `embedding_model` set with a NULL
-- `embedding` marks a passage the provider rejected, so the backfill does not retry it forever.
-- real[] rather than pgvector: the worker scores a skill's passages in memory, and this keeps the
-- extension optional.
ALTER TABLE kb_passages ADD COLUMN embedding real[], ADD COLUMN embedding_model text;

-- Backfill queue: passages not yet embedded are found without scanning the embedded ones.
CREATE INDEX kb_passages_unembedded_idx ON kb_passages (id) WHERE embedding_model IS NULL;

-- Down Migration
DROP INDEX IF EXISTS kb_passages_unembedded_idx;
ALTER TABLE kb_passages DROP COLUMN IF EXISTS embedding_model, DROP COLUMN IF EXISTS embedding;
