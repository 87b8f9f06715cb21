"""Request models: this API's arguments use no shared object schemas."""
