package demo

// The demo county: Pine County, population 18,000, three departments.

type m = map[string]any

func tx(en, es string) m { return m{"en": en, "es": es} }

func opt(value, en, es string) m { return m{"value": value, "label": tx(en, es)} }

var departments = []m{
	{"id": "demodeptplan001", "code": "PLN", "name": "Planning & Building", "name_es": "Planificación y Construcción",
		"description":    "Building, fence and sign permits; zoning questions; property maintenance.",
		"description_es": "Permisos de construcción, cercas y letreros; zonificación; mantenimiento de propiedades.",
		"public_email":   "planning@pinecounty.example", "public_phone": "(555) 010-2000",
		"notify_email": "planning-queue@pinecounty.example", "active": true},
	{"id": "demodeptwork001", "code": "PW", "name": "Public Works", "name_es": "Obras Públicas",
		"description":    "Roads, street lights, drainage, litter and graffiti.",
		"description_es": "Calles, alumbrado, desagües, basura y grafiti.",
		"public_email":   "publicworks@pinecounty.example", "public_phone": "(555) 010-3000",
		"notify_email": "works-queue@pinecounty.example", "active": true},
	{"id": "demodeptclrk001", "code": "CLK", "name": "County Clerk", "name_es": "Secretaría del Condado",
		"description":    "Special events, licenses and noise complaints.",
		"description_es": "Eventos especiales, licencias y quejas por ruido.",
		"public_email":   "clerk@pinecounty.example", "public_phone": "(555) 010-1000",
		"notify_email": "clerk-queue@pinecounty.example", "active": true},
}

var permitTypes = []m{
	{"id": "demotypebld0001", "code": "BLD", "department": "demodeptplan001", "fee": 150, "validity_days": 365,
		"turnaround_days": 15, "active": true,
		"name_en": "Building permit", "name_es": "Permiso de construcción",
		"description_en": "New buildings, additions, garages, decks over 30 inches and structural alterations.",
		"description_es": "Edificios nuevos, ampliaciones, garajes, terrazas de más de 30 pulgadas y cambios estructurales.",
		"fields": []m{
			{"key": "work_type", "kind": "choice", "required": true,
				"label": tx("Type of work", "Tipo de obra"),
				"options": []m{opt("new", "New building", "Edificio nuevo"), opt("addition", "Addition", "Ampliación"),
					opt("alteration", "Alteration", "Remodelación"), opt("deck", "Deck or porch", "Terraza o porche")}},
			{"key": "project_description", "kind": "long_text", "required": true, "min": 10, "max": 2000,
				"label": tx("Describe the work", "Describa la obra"),
				"help":  tx("What will be built or changed, and where on the lot.", "Qué se construirá o cambiará y en qué parte del terreno.")},
			{"key": "valuation", "kind": "number", "required": true, "min": 1, "max": 5000000,
				"label": tx("Estimated cost of the work", "Costo estimado de la obra"), "unit": tx("dollars", "dólares")},
			{"key": "start_date", "kind": "date", "label": tx("Planned start date", "Fecha prevista de inicio")},
			{"key": "owner_occupied", "kind": "yes_no", "required": true,
				"label": tx("Will the owner live in the building?", "¿Vivirá el propietario en el edificio?")},
			{"key": "contractor_phone", "kind": "phone", "label": tx("Contractor's phone", "Teléfono del contratista")},
		},
		"required_documents": []m{
			{"key": "site_plan", "label": tx("Site plan", "Plano del sitio"), "accept": []string{"pdf", "image"},
				"help": tx("A drawing of the lot showing the work and distances to property lines.",
					"Un dibujo del terreno con la obra y las distancias a los linderos.")},
			{"key": "construction_drawings", "label": tx("Construction drawings", "Planos de construcción"),
				"accept": []string{"pdf"}},
		}},
	{"id": "demotypefnc0001", "code": "FNC", "department": "demodeptplan001", "fee": 25, "validity_days": 180,
		"turnaround_days": 5, "active": true,
		"name_en": "Fence permit", "name_es": "Permiso de cerca",
		"description_en": "Any new or replacement fence or wall on residential property.",
		"description_es": "Toda cerca o muro nuevo o de reemplazo en una propiedad residencial.",
		"fields": []m{
			{"key": "height_feet", "kind": "number", "required": true, "min": 1, "max": 8,
				"label": tx("Fence height", "Altura de la cerca"), "unit": tx("feet", "pies")},
			{"key": "length_feet", "kind": "number", "required": true, "min": 1, "max": 5000,
				"label": tx("Total length", "Longitud total"), "unit": tx("feet", "pies")},
			{"key": "material", "kind": "choice", "required": true, "label": tx("Material", "Material"),
				"options": []m{opt("wood", "Wood", "Madera"), opt("vinyl", "Vinyl", "Vinilo"),
					opt("chain_link", "Chain link", "Malla metálica"), opt("masonry", "Masonry", "Mampostería")}},
			{"key": "corner_lot", "kind": "yes_no", "label": tx("Is it a corner lot?", "¿Es un terreno en esquina?")},
		},
		"required_documents": []m{
			{"key": "site_plan", "label": tx("Site plan", "Plano del sitio"), "accept": []string{"pdf", "image"},
				"help": tx("Mark where the fence goes.", "Marque dónde irá la cerca.")},
		}},
	{"id": "demotypesgn0001", "code": "SGN", "department": "demodeptplan001", "fee": 50, "validity_days": 180,
		"turnaround_days": 10, "active": true,
		"name_en": "Sign permit", "name_es": "Permiso de letrero",
		"description_en": "Permanent business signs on walls or poles, and temporary banners over 30 days.",
		"description_es": "Letreros comerciales permanentes en paredes o postes y pancartas temporales de más de 30 días.",
		"fields": []m{
			{"key": "business_name", "kind": "text", "required": true, "max": 120, "label": tx("Business name", "Nombre del negocio")},
			{"key": "sign_type", "kind": "choice", "required": true, "label": tx("Kind of sign", "Tipo de letrero"),
				"options": []m{opt("wall", "Wall sign", "Letrero de pared"), opt("pole", "Pole sign", "Letrero en poste"),
					opt("banner", "Temporary banner", "Pancarta temporal")}},
			{"key": "area_sqft", "kind": "number", "required": true, "min": 1, "max": 200,
				"label": tx("Sign area", "Área del letrero"), "unit": tx("square feet", "pies cuadrados")},
			{"key": "features", "kind": "multi_choice", "label": tx("Features", "Características"),
				"options": []m{opt("lit", "Illuminated", "Iluminado"), opt("digital", "Digital display", "Pantalla digital"),
					opt("two_sided", "Two-sided", "Dos caras")}},
		},
		"required_documents": []m{
			{"key": "sign_drawing", "label": tx("Drawing of the sign", "Dibujo del letrero"), "accept": []string{"pdf", "image"}},
		}},
	{"id": "demotypeevt0001", "code": "EVT", "department": "demodeptclrk001", "fee": 0, "validity_days": 30,
		"turnaround_days": 20, "active": true,
		"name_en": "Special event permit", "name_es": "Permiso de evento especial",
		"description_en": "Parades, street fairs, block parties and other events on public property.",
		"description_es": "Desfiles, ferias callejeras, fiestas de cuadra y otros eventos en propiedad pública.",
		"fields": []m{
			{"key": "event_name", "kind": "text", "required": true, "max": 120, "label": tx("Name of the event", "Nombre del evento")},
			{"key": "event_date", "kind": "date", "required": true, "label": tx("Date of the event", "Fecha del evento")},
			{"key": "attendance", "kind": "number", "required": true, "min": 1, "max": 50000,
				"label": tx("Expected attendance", "Asistencia prevista"), "unit": tx("people", "personas")},
			{"key": "street_closure", "kind": "yes_no", "required": true, "label": tx("Do you need a street closed?", "¿Necesita cerrar una calle?")},
			{"key": "organizer_email", "kind": "email", "required": true, "label": tx("Organizer's email", "Correo del organizador")},
			{"key": "location", "kind": "address", "required": true, "label": tx("Where is the event?", "¿Dónde es el evento?")},
		},
		"required_documents": []m{
			{"key": "site_map", "label": tx("Map of the event area", "Mapa del área del evento"), "accept": []string{"pdf", "image"}},
			{"key": "insurance", "label": tx("Certificate of insurance", "Certificado de seguro"), "accept": []string{"pdf"}},
		}},
}

var categories = []m{
	{"id": "democatpothole1", "code": "pothole", "department": "demodeptwork001", "ack_hours": 8, "resolve_hours": 72, "active": true,
		"name_en": "Pothole", "name_es": "Bache",
		"description_en": "A hole or broken pavement on a county road.", "description_es": "Un hoyo o pavimento roto en una calle del condado."},
	{"id": "democatlight001", "code": "streetlight", "department": "demodeptwork001", "ack_hours": 8, "resolve_hours": 120, "active": true,
		"name_en": "Street light out", "name_es": "Farola apagada",
		"description_en": "A street light that is off, flickering or damaged.", "description_es": "Una farola apagada, intermitente o dañada."},
	{"id": "democatdumping1", "code": "illegal_dumping", "department": "demodeptwork001", "ack_hours": 16, "resolve_hours": 40, "active": true,
		"name_en": "Illegal dumping", "name_es": "Vertido ilegal",
		"description_en": "Trash, furniture or tires left on public land.", "description_es": "Basura, muebles o llantas abandonados en terreno público."},
	{"id": "democatgraffit1", "code": "graffiti", "department": "demodeptwork001", "ack_hours": 16, "resolve_hours": 80, "active": true,
		"name_en": "Graffiti", "name_es": "Grafiti",
		"description_en": "Graffiti on public property.", "description_es": "Grafiti en propiedad pública."},
	{"id": "democatnoise001", "code": "noise", "department": "demodeptclrk001", "ack_hours": 8, "resolve_hours": 40, "active": true,
		"name_en": "Noise", "name_es": "Ruido",
		"description_en": "Repeated loud noise from a business or property.", "description_es": "Ruido fuerte y repetido de un negocio o propiedad."},
	{"id": "democatlot00001", "code": "overgrown_lot", "department": "demodeptplan001", "ack_hours": 16, "resolve_hours": 160, "active": true,
		"name_en": "Overgrown or unsafe lot", "name_es": "Terreno descuidado o inseguro",
		"description_en": "Tall weeds, open structures or junk on private property.", "description_es": "Maleza alta, estructuras abiertas o chatarra en una propiedad privada."},
}
