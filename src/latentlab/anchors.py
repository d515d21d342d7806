"""Reference figures the report reads each variant against (shared/reference/anchors.md).

Fashion-MNIST, 10k test images, pixels in [0, 1], MSE per pixel. "measured" figures were taken
on a 2-core CPU machine like the ones latentlab runs on; the others are published.
"""

FASHION_MNIST = {
    # PCA with k components, fitted on the 60k training images (measured)
    "pca_mse": {2: 0.0461, 4: 0.0366, 16: 0.0205, 32: 0.0151, 64: 0.0104},
    "pca_knn_acc": {2: 0.507, 4: 0.698, 16: 0.836, 32: 0.852, 64: 0.859},
    "pca_logreg_acc": {2: 0.510, 4: 0.670, 16: 0.787, 32: 0.815, 64: 0.832},
    # Sainburg, McInnes & Gentner 2021 (Parametric UMAP): convolutional AE and VAE codes
    "conv_ae_mse": {2: 0.0244, 64: 0.0054},
    "conv_ae_knn_acc": {2: 0.734, 64: 0.876},
    "vae_knn_acc": {64: 0.883},
    # the same paper, 2-D maps of the pixels: (trustworthiness k=5, kNN-5 accuracy in 2-D)
    "maps": {"pca": (0.913, 0.506), "tsne": (0.991, 0.804), "umap": (0.978, 0.761)},
    # Xiao et al. 2017, Table 3: classifiers on the raw pixels
    "raw_logreg_acc": 0.842,
    "raw_knn_acc": 0.854,
}

ANCHORS = {"fashion_mnist": FASHION_MNIST}
