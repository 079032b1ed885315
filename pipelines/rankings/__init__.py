"""Rankings beyond the views: how stable a department's rank is."""
