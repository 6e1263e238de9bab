"""Process designers: the catalogue of versions, validate and deploy from the editor, compare versions,
migrate instances, follow an instance, dry runs and scenario tests of diagrams."""
