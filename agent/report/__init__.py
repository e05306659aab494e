"""Scan reports: human text and stable JSON, behind one function each."""
