"""userpools: a self-hostable server that speaks the Amazon Cognito User Pools API."""

__version__ = "0.1.0"
