"""Group Leader: offline, encrypted records for the leader of a therapy group."""

__version__ = "0.1.0"
APP_NAME = "Group Leader"
