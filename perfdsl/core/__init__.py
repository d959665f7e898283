"""The value types every layer shares, below the parser: decimal numbers and their one rounding
(`numbers`), quantities with units (`quantity`), and the schema of the language's blocks and
fields (`schema`, the glossary: 中文 keyword = English alias = Python field).

Nothing here imports from the rest of perfdsl: the syntax tree, the model, the scorer, the
renderers and the editor support all build on it (as Beancount's `core/` sits under its parser)."""
