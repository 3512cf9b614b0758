"""Tuopin (脱贫): poverty-alleviation registry, return-to-poverty monitoring and supervision."""

__version__ = "0.1.0"
