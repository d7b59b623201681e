"""The fused annotation network, label-quantity head, training pipeline, predictor and model bundles."""
