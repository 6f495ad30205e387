
Î
add_tuple_gtemain´
main
x	parameter˜
y	parameterH˜
sumadd˜¢)
pairtuple""˜¢)
firstget-tuple-element˜¢(
00
