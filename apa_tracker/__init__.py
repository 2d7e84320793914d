"""The site: settings (one module, everything that differs between machines from the environment), the
addresses, health, sign-in, password hashing, and the commands that concern the whole site (``load_demo``,
``backup``, ``restore``). The top layer: nothing imports it."""
