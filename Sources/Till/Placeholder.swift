// Till
