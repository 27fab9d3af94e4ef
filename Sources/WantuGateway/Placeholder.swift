// WantuGateway
