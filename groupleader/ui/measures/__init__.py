"""The measures views: keyboard entry of a form, and trend charts (Qt Charts)."""
