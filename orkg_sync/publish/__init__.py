"""Publishing the dataset: release folder, DCAT/VoID description, upload to SPARQL stores, docs."""
