"""The configuration file: settings of the sources and outlets, and the daemon's intervals."""
