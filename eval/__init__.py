"""Eval harness: run `rag.answer()` over question–answer pairs and score it (`python -m eval`, `rag eval`)."""
