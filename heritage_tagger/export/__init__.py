"""CSV, Dublin Core (oai_dc XML, DC terms JSON-LD) export."""
