// Service worker registration and the update prompt live here.
