"""Streamlit pieces of the app (the core and io packages never import Streamlit)."""
