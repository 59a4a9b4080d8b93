"""Every rendering of the tool's results: text, markdown, JSON and GitHub annotations.

Views read values and documents (the plan's JSON document, apply results, findings,
explanations, organization impact) and return text; they call nothing and decide nothing, so
a saved plan shows exactly as a fresh one. They import no boto3, click or Catalog client.
"""
