"""Policy documents → structured, chunked text. Knows nothing of indexes or Telegram."""
