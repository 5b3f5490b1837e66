"""Provenance and rights: post text per platform (SEO), platform rules checked before upload,
the C2PA manifest every reel carries, and the licence ledger of what each reel uses."""
