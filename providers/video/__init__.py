"""Video clips for scenes that ask for motion: one interface (base.py), one module per provider."""
