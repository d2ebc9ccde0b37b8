enum _WarmAuthFramework {}
