print("shroff")
