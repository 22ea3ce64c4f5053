( for_  in range(11_000) for _ in range(11_000)])

)
])

)
