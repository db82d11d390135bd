"""Use cases, one module per area; the API calls them, they wire parsers, store, index and procedures.

- ``parsing``: parse one file (nothing stored)
- ``ingesting``: collect files, parse the new ones, register each (``registering``: one document in one
  transaction, with the rules of ``procedures.identity``)
- ``listing``: list procedures, show one with its versions and history (``finding``: look-ups by code
  or name, catalog links)
- ``lifecycle``: review, publish, publicize, withdraw
- ``units``, ``symbols``: responsible units and their aliases, the user's issuer symbols
- ``common``: opening the registry, keeping the index in step, dates typed by users
- ``searching``: index sync, search, index check/rebuild
- ``diagrams``: diagrams, gallery, graph export
- ``auditing``: audit, targets
- ``settings``: the registry's settings (``procreg config``: who issues and signs the report)

Modules import heavy libraries inside functions so ``procreg --help`` stays quick.
"""

from __future__ import annotations

__all__: list[str] = []
