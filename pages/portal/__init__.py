"""The public portal's pages (no sign-in, mobile first): plain layout functions.

They are served by the portal's own Dash app at /portal/ (app.py), not by the staff app's
page registry, so no module here calls dash.register_page. callbacks.portal.routes maps each
path to its layout.
"""
