"""Hybrid retrieval: dense (faiss) + sparse (BM25) + fusion over immutable snapshots."""
