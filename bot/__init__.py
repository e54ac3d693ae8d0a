"""finbot services: configuration, answers, requests, handoff, documents, roles, CLI."""
