"""The emit stage: IR → everything derived for people and clients, as ``{relative path: text}``.

Python signatures (``pytypes``), the ``tools/list`` diet (``listing``), ``models.py`` (``models``, in a worker
process started by ``models_worker``), the package files (``render``), and the atomic write with ruff (``write``).
"""
