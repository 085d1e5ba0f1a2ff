"""The Streamlit pages (one file each, routed by ``st.navigation`` in ``app.py``) and what they share.

A page reads its widgets, calls a use case (:mod:`geo.usecases`) or a cached accessor of
:mod:`app_pages.data_access` (the one place data is loaded and cached), hands the result to
:mod:`layers` and draws it. It decides nothing a CLI command would have to decide again.

May import: :mod:`layers`, :mod:`geo` (its root modules, :mod:`geo.usecases`, :mod:`geo.analysis`,
:mod:`geo.store` for accounts and error types), streamlit. Never :mod:`geo.assembly` (the CLI's ``reindus build``
runs it), never ``cli``, ``bench`` or ``tests``; nothing imports a page but ``app.py``.

:mod:`app_pages.serve` starts the app (``python -m app_pages.serve``, as ``make run`` does): ``streamlit run app.py``
with the pages' modules and first data loaded as the server starts.
"""
