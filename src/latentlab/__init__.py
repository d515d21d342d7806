"""latentlab: learn, measure and compare latent representations with autoencoders."""

__version__ = "0.1.0"
