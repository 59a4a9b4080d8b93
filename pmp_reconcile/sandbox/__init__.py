"""An emulator of the private-marketplace subset of the AWS Marketplace Catalog API."""
