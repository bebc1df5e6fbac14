"""Scale-out: the Dask engine (sectors and time windows with halos) and engine choice."""
