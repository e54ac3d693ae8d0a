"""Answer-quality benchmark over the bundled sample knowledge base."""
