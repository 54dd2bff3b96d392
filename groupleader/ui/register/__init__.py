"""The risk register, the group agreement and boundary incidents on screen (issue 16)."""
