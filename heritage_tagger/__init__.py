"""Heritage Tagger: a desktop cataloguing app that suggests subject tags for heritage photographs."""

__version__ = "0.1.0"
