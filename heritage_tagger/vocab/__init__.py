"""Controlled vocabularies: SKOS / TSV / CSV readers, label normalisation, hierarchy walks, tag variants."""
