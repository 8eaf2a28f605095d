"""The generators: one module per backend, each implementing `rag.generate.Generator`.

The registry that names them (`rag.generate.BACKENDS`) imports each module only when it is chosen, so the
Ollama and OpenAI clients load only for people who use them.
"""
