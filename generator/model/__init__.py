"""The model stage: a checked document and a vendor config → the IR (``ir``), facts only.

Everything that decides a fact lives here: tool and argument names (``naming``), arguments and bodies
(``operations``), schemas (``schemas``), scopes, hints and auth (``semantics``), paging, workflows and the
vendor config itself (``config``).
"""
