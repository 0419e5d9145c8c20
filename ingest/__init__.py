"""Ingest: walk the raw folder, detect each file's kind and layout, flatten it, exclude what must
never enter the warehouse, and land one Parquet file per raw file under <build>/landed/.

dbt reads only the landed files (sources in models/staging/*/_*__sources.yml). docs/ingest.md
describes the contract between the two sides.
"""
