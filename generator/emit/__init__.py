"""The emit stage: IR → everything derived for people and clients, as ``{relative path: text}``.

A tool's arguments as listed and as Python parameters, with the local ones its facts imply (``arguments``);
its description, composed in one place (``describe``); Python annotations (``pytypes``); the ``tools/list``
diet (``listing``) and the listed catalog (``catalog``); tool functions (``functions``); README rows,
``operations.py`` entries and the self-test probe (``views``, ``workflow_views``); escaping (``escape``);
``models.py`` (``models``, in a worker process started by ``models_worker``); the package files (``render``);
and the atomic write with ruff (``write``). Emit never reads the spec.
"""
