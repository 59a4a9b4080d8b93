"""The Discovery API seam: product names, search and availability.

The only place besides ``catalog`` and ``org`` that reaches AWS. It looks up only the ids a
command needs, one GetProduct per distinct id at most, never faster than the documented rate,
and keeps what it read on disk (``cache``) so a second plan makes no call. Plans receive the
result as data (:class:`~pmp_reconcile.model.ProductFacts`) and never call it.
"""
