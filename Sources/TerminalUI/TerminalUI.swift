// The cashier terminal; see Model/, Input/, Terminal/, Owner/.
