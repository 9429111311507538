"""What people see and download, from the pipeline's results: drawing on frames (overlay), charts,
reports and exports (report), and the templates' reference (template_docs)."""
