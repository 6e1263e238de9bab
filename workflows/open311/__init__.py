"""Open311 GeoReport v2 over our appeals: the service catalogue, requests read and created, tokens.

Plain data in and out (dicts with the specification's field names); web/open311 renders JSON and XML.
"""
