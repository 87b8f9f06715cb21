"""The model stage: a checked document and a vendor config → the IR (``ir``), facts only.

Everything that decides a fact lives here, one module per decision: tool and argument names (``naming``,
with ``inflection`` the adapter for a library's private inflect loader), an operation's raw arguments and body
(``arguments``), their listed names and lean schemas (``params``, ``schemas``), the tool (``operations``,
assembled by ``build``), overrides (``overrides``), scopes (``scopes``), read/write hints (``hints``),
credentials (``auth``), server URLs (``servers``), success responses (``responses``), paging (``paging``),
workflows (``workflows``), base64 body fields (``byte_fields``), text (``prose``) and the vendor config
(``config``). Nothing here imports ``generator.emit``.
"""
