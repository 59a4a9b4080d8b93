"""The Catalog API seam: the only package that imports boto3 for the marketplace."""
